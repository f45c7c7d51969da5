"""Phản ánh, kiến nghị models."""

from __future__ import annotations
