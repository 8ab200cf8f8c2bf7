"""A stand-in for rest_framework.response."""


class Response:
    def __init__(self, data=None, status=200):
        self.data = data
        self.status_code = status
