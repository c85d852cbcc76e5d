"""Ingestion: locate the two official NOC 2021 CSVs, parse and validate them into a catalog."""
