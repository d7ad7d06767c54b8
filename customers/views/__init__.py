from .editing import create, delete, edit, validate_field
from .listing import customer_list, home, quick_search
from .records import detail, transactions

__all__ = ["create", "customer_list", "delete", "detail", "edit", "home", "quick_search",
           "transactions", "validate_field"]
