"""Who may do what with concerns in the admin (registered in ``ConcernsConfig.ready``)."""

from wagtail.permission_policies import ModelPermissionPolicy


class ConcernPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, except that nobody adds a concern in the admin (residents send them)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])
