"""The unit tree's materialized paths (django-treebeard's MP_Node): each level adds
PATH_STEP characters, so a unit's ancestors are the prefixes of its path and its subtree is
every path that starts with it."""

PATH_STEP = 4
