"""The tasks service's JSON API: routes, typed dependencies, request and response models."""
