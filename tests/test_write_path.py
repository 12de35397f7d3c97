"""The write path's rule (docs/architecture.md, "The write path"): every do_<verb>_<noun> in an
actions module is one transaction — a decorator lost in an edit once left the tree's creation
outside one, which only PostgreSQL's row locks noticed."""

import importlib
import inspect
import pkgutil

from django.test import SimpleTestCase

import hienthuc


class WritePathTestCase(SimpleTestCase):
    def test_every_action_is_atomic(self):
        found, loose = 0, []
        for module_info in pkgutil.iter_modules(hienthuc.__path__):
            try:
                module = importlib.import_module(f"hienthuc.{module_info.name}.actions")
            except ModuleNotFoundError:
                continue
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("do_") and function.__module__ == module.__name__:
                    found += 1
                    # transaction.atomic wraps the function (functools.wraps sets __wrapped__);
                    # a write that is one statement is atomic by itself (hienthuc/lib/db.py).
                    if not hasattr(function, "__wrapped__") and not getattr(function, "one_statement", False):
                        loose.append(f"{module.__name__}.{name}")
        self.assertGreater(found, 50)
        self.assertEqual(loose, [], "decorate each with @transaction.atomic (or, when one statement, @one_statement)")
