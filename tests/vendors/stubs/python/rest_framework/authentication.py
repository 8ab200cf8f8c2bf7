"""A stand-in for rest_framework.authentication."""


class TokenAuthentication:
    pass
