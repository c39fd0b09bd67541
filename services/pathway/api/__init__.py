"""The pathway API (/api/v1): one flask-smorest blueprint per resource."""
