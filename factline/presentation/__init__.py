"""Presentation: what pages show, built from what the selectors return.

Typed objects for templates (never attributes set on model instances), and the HTTP details that
several views share (public pages' conditional requests and caching, downloads). Nothing here
writes; it reads through the selectors. See docs/architecture.md.
"""
