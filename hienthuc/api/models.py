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


class IdempotentRequest(models.Model):
    """A write sent with an `Idempotency-Key` header and the answer it got, kept for a day so a
    client that retries (its connection dropped before the answer came) gets that answer again
    instead of a second write. The row is written in the same transaction as the write itself
    (api/idempotency.py): both are there, or neither."""

    # A hash of the caller's credentials (token or session): one client's keys never meet another's.
    owner = models.CharField(max_length=64)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # method, path and body: the same key means the same request
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotent_request_once")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_age")]
