"""What Cloud Run does around any service, and the parts the local APIs share.

``deployment`` is what the deploy produced (names, env, secrets, resources) and its log, the
one model every part reads; ``traffic`` holds its splits and tags; ``frontend`` is the front
door (routing by the split, the IAM check, the request log); ``users`` send real requests,
while ``simulated`` users' requests are written on demand; ``jsonserver`` is the HTTP server of
the three local APIs, ``asgi`` the types the front end and the proxy share, and ``gcloudenv``
the throwaway configuration that points gcloud at the sandbox.
"""
