"""A stand-in for FastAPI, for the vendors' FastAPI samples in tests/vendors: app.get records
the view, Depends(f) is resolved by calling f, and each view is requested once after the
sample has run (see _sample_stand_in)."""

import inspect

import _sample_stand_in


class _Depends:
    def __init__(self, dependency):
        self.dependency = dependency


def Depends(dependency):  # noqa: N802 (FastAPI's name)
    return _Depends(dependency)


class FastAPI:
    def get(self, route):
        def register(view):
            def call():
                kwargs = {
                    name: param.default.dependency()
                    for name, param in inspect.signature(view).parameters.items()
                    if isinstance(param.default, _Depends)
                }
                answer = view(**kwargs)
                return getattr(answer, "status_code", 200), getattr(answer, "content", answer)

            _sample_stand_in.declare(route, call)
            return view

        return register
