"""Downloader middlewares: behaviour that applies to every request.

``challenge`` passes the site's JavaScript cookie challenge; ``rendering``
decides which requests the browser fetches and counts its renders.
"""
