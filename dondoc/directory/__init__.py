"""dondoc/directory"""
