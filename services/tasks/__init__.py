"""services/tasks"""
