"""Nobody adds an inquiry in the admin (residents send them); registered in ``ready``."""

from wagtail.permission_policies import ModelPermissionPolicy


class InquiryPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])
