"""The local Cloud Run Admin API: one service's state, served in the two protocols
Cloud Run's clients speak, split as moto splits a service into models, responses and urls.

``state`` keeps the service (its revisions, traffic, tags, etag, generation, IAM policy) and
``revisions`` what a revision is made of; ``v2`` renders it as the v2 REST API that the
google-cloud-run client reads and updates, ``knative`` (with ``knativetemplate``) as the v1
``serving.knative.dev`` surface gcloud uses; ``api`` routes each request to one of them.
"""
