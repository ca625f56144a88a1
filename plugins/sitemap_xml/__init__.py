"""Tells search engines which pages exist: sitemap.xml, and its address in robots.txt."""

from .sitemap import SitemapGenerator, lastmod, register, render_robots, render_sitemap

__all__ = ["SitemapGenerator", "lastmod", "register", "render_robots", "render_sitemap"]
