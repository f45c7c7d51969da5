"""Phiên họp và phiếu lấy ý kiến models."""

from __future__ import annotations
