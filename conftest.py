"""Suite-local fixtures only. The gate's own fixtures come from the cloudrun_acceptance plugin."""
