"""Bulk enrichment import (nhập dữ liệu làm giàu): files from partner agencies upserted into the registry."""
