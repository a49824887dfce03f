"""The example's reference service: what the sandbox deploys when the contract has
no ``sandbox`` section.

``service`` is its FastAPI app (health, metrics, the cached analysis), ``concepts`` its users'
read, ``instances`` its instances and their Prometheus registries, ``servicetimes`` how long it
takes to answer, and ``liverevisions`` an app per live revision. This ``__init__`` imports
nothing, so that the fault profiles read ``servicetimes`` without loading FastAPI.
"""
