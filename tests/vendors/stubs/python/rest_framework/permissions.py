"""A stand-in for rest_framework.permissions."""


class IsAuthenticated:
    pass
