"""The local Cloud Monitoring API: ``projects.timeSeries.list`` of Cloud Run's
``run.googleapis.com/request_count`` over the deployment's request log (``api``).
"""
