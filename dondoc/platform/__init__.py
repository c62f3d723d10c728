"""dondoc/platform"""
