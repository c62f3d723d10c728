"""dondoc"""
