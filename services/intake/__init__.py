"""services/intake"""
