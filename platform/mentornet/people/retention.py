"""Retention: participants whose cycle ended longer ago than the tenant keeps data."""
