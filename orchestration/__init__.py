"""Dagster wiring for newsetl: definitions, resources, sensors, schedules and the command line."""
