"""A separate, minimal Django project: the anchors of `make bench`.

No installed apps, no middleware, no database: what Django itself costs for a
"hello" and for a 25-row template, served by the same gunicorn settings as the
portal. Every portal figure is printed as a ratio to one of these.
"""
