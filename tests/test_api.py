from hienthuc.accounts.models import ApiToken
from hienthuc.people.actions import do_create_person
from tests.base import PASSWORD, BaseTestCase


class ApiTestCase(BaseTestCase):
    def token_for(self, username: str) -> str:
        response = self.client.post(
            "/api/auth/token",
            {"username": username, "password": PASSWORD, "name": "thử"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["token"]

    def get(self, url: str, token: str, **params):
        return self.client.get(url, params, headers={"Authorization": f"Bearer {token}"})

    def test_it_issues_a_token_for_a_correct_password_only(self):
        response = self.client.post(
            "/api/auth/token", {"username": "bob", "password": "sai"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 401)
        self.assertIn("không đúng", response.json()["detail"])
        token = self.token_for("bob")
        self.assertTrue(token.startswith("ht_"))
        self.assertFalse(ApiToken.objects.filter(key_hash=token).exists())  # only the hash is stored

    def test_it_refuses_requests_without_a_valid_token(self):
        self.assertEqual(self.client.get("/api/units").status_code, 401)
        self.assertEqual(self.get("/api/units", "ht_wrong").status_code, 401)

    def test_it_lists_only_units_in_the_callers_subtree(self):
        token = self.token_for("bob")
        response = self.get("/api/units", token)
        codes = [u["code"] for u in response.json()["items"]]
        self.assertEqual(codes, ["A1", "A1a", "A1b"])
        response = self.get("/api/units", token, q="dong phong")
        self.assertEqual([u["code"] for u in response.json()["items"]], ["A1a"])

    def test_it_answers_404_for_objects_outside_the_subtree(self):
        token = self.token_for("bob")
        for url in (
            f"/api/units/{self.tinh_b.pk}",
            f"/api/units/{self.tinh_a.pk}",
            f"/api/units/{self.huyen_b1.pk}/children",
            f"/api/people/{self.person_b1.pk}",
            "/api/units/999999",
        ):
            self.assertEqual(self.get(url, token).status_code, 404, url)
        self.assertEqual(self.get("/api/units", token, parent=self.tinh_b.pk).status_code, 404)

    def test_it_returns_children_with_counts(self):
        do_create_person(full_name="Lê Văn Tám", home_unit=self.xa_a1b, acting_user=self.system)
        token = self.token_for("alice")
        response = self.get(f"/api/units/{self.tinh_a.pk}/children", token)
        rows = {u["code"]: (u["units_below"], u["people_below"]) for u in response.json()}
        self.assertEqual(rows["A1"], (2, 2))
        self.assertEqual(rows["A2"], (0, 0))
        unit = self.get(f"/api/units/{self.huyen_a1.pk}", token).json()
        self.assertEqual((unit["parent_id"], unit["people_below"]), (self.tinh_a.pk, 2))

    def test_it_lists_people_terms_and_seats_with_scoping(self):
        token = self.token_for("alice")
        names = [p["full_name"] for p in self.get("/api/people", token).json()["items"]]
        self.assertEqual(names, ["Nguyễn Văn Đông"])
        self.assertEqual(self.get("/api/terms", token).json()["count"], 0)

    def test_it_revokes_a_token(self):
        token = self.token_for("bob")
        response = self.client.delete("/api/auth/token", headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.get("/api/units", token).status_code, 401)

    def test_it_serves_openapi_and_docs_without_any_cdn(self):
        schema = self.client.get("/api/openapi.json").json()
        self.assertIn("/api/units/{unit_id}", schema["paths"])
        self.client.force_login(self.bob)
        docs = self.client.get("/api/docs").content.decode()
        self.assertIn("swagger-ui", docs)
        self.assertNotIn("cdn.", docs)
        self.assertNotIn("unpkg", docs)

    def test_it_manages_tokens_on_a_web_page(self):
        self.client.force_login(self.bob)
        response = self.client.post("/accounts/tokens/", {"name": "Ứng dụng di động"})
        self.assertContains(response, "chỉ hiện một lần")
        token = ApiToken.objects.get(user=self.bob)
        self.client.post(f"/accounts/tokens/{token.pk}/revoke/")
        self.assertIsNotNone(self.refresh(token).revoked_at)

    def test_it_refuses_nul_characters_with_a_400(self):
        token = self.token_for("bob")
        self.assertEqual(self.get("/api/units", token, q="a\x00b").status_code, 400)
        response = self.client.post(
            "/api/auth/token", {"username": "b\x00b", "password": "x"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/people/", {"q": "\x00"}).status_code, 400)
