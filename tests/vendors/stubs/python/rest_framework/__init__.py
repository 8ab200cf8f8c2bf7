"""A stand-in for Django REST framework, for the vendors' DRF samples in tests/vendors: an
@api_view function is requested once, as the fixed user, after the sample has run."""
