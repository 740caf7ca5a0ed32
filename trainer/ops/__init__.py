"""Operating the platform: backups and restores, the full health check, request logs."""
