"""A stand-in for rest_framework.decorators."""

from types import SimpleNamespace

import _sample_stand_in


def api_view(methods):
    def register(view):
        def call():
            answer = view(SimpleNamespace(method=methods[0], user=_sample_stand_in.fixed_user()))
            return answer.status_code, answer.data

        # A DRF view has no route of its own (urls.py maps one); None says so.
        _sample_stand_in.declare(None, call)
        return view

    return register


def authentication_classes(classes):
    return lambda view: view


def permission_classes(classes):
    return lambda view: view
