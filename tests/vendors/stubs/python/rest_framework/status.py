"""A stand-in for rest_framework.status."""

HTTP_200_OK = 200
