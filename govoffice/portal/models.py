"""Cổng dịch vụ công models."""

from __future__ import annotations
