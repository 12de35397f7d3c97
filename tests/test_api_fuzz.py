"""schemathesis generates requests from our own OpenAPI schema: no answer may be a 5xx, and
every answer must conform to the schema — a status code the operation documents, the content
type it states, a body its schema describes (errors included: api/errors.py)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hienthuc.accounts.actions import do_create_api_token
from hienthuc.wsgi import application
from tests.base import BaseTestCase

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.fuzz
class ApiFuzzTestCase(BaseTestCase):
    def test_every_answer_conforms_to_the_schema_and_none_is_a_server_error(self):
        _token, raw = do_create_api_token(self.alice, name="fuzz", acting_user=self.alice)
        headers = {"Authorization": f"Bearer {raw}"}
        # Like Django's test client: keep the test transaction's connection across requests.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        checked = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method.upper() == "DELETE":
                continue  # revoking our own token would only turn the rest into 401s

            @settings(
                max_examples=25,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            run()
            checked += 1
        self.assertGreaterEqual(checked, 9)
