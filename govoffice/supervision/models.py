"""Theo dõi nhiệm vụ models."""

from __future__ import annotations
