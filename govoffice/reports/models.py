"""Báo cáo models."""

from __future__ import annotations
