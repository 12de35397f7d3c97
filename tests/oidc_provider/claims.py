from oidc_provider.lib.claims import ScopeClaims

# What this provider says about its accounts: who they are, and for some of them, their roles
# in Hiện Thực ("kind:unit code"), as a directory that knows the organization chart would.
ROLES = {"nguyenvana": ["editor:A1"], "tranthib": ["admin:A", "viewer:B"]}


def userinfo(claims, user):
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["preferred_username"] = user.username
    return claims


class UnitRoleClaims(ScopeClaims):
    info_hienthuc = ("Hiện Thực", "Vai trò tại các đơn vị")

    def scope_hienthuc(self):
        return {"hienthuc_roles": ROLES.get(self.user.username, [])}
