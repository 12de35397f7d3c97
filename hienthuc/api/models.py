from django.db import models


class Counter(models.Model):
    """A client address's requests (kind "rate") or failed authentications ("fail") in the
    current window, one row per address, kind and app process (shard): a process only ever
    writes its own row, so a busy address does not queue every process on one locked row, and
    the guard sums the shards (guard.py). A row starts again at 1 when a new window begins, so
    the table stays as small as the set of clients and needs no clean-up."""

    kind = models.CharField(max_length=4)
    address = models.CharField(max_length=64)
    shard = models.IntegerField()
    slot = models.BigIntegerField()  # the window's number: seconds since the epoch over its length
    count = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "address", "shard"], name="api_counter_one_row")]
