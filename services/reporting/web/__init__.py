"""The city dashboard (/dashboard): plans, units and assignments at a glance, served as plain HTML.

`wiring` hands the routers and the static files to the service's app (services/reporting/app.py).
"""
