from .bulk import list_action
from .editing import create, delete, edit, validate_field
from .listing import customer_list, home, quick_search, recently_viewed
from .records import detail, transaction_totals, transactions
from .reports import chart, customers_csv, statement, transactions_csv

__all__ = [
    "chart",
    "create",
    "customer_list",
    "customers_csv",
    "delete",
    "detail",
    "edit",
    "home",
    "list_action",
    "quick_search",
    "recently_viewed",
    "statement",
    "transaction_totals",
    "transactions",
    "transactions_csv",
    "validate_field",
]
