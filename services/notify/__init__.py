"""services/notify"""
