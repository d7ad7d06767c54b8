"""The upstream documentation's example bodies, verbatim, shared by every test suite.

Kept as the documentation prints them; the `_TEXT` ones stay text so that amounts
such as 1250000.00 can be read as exact Decimals.
"""

import json

DOC_LIST = json.loads("""{
"status": "success",
"data": [
{
"id": 1,
"customer_no": "CUST001",
"name": "ABC Trading Ltd",
"tin": "P000123456X",
"phone": "+254712345678",
"email": "info@abctrading.co.ke",
"address": "Moi Avenue, Nairobi",
"branch_id": "00",
"is_active": true,
"total_transactions": 45,
"created_at": "2025-01-01T10:00:00Z"
},
{
"id": 2,
"customer_no": "CUST002",
"name": "Jane Wanjiku",
"tin": null,
"phone": "+254722345678",
"email": "jane@email.com",
"address": "Westlands, Nairobi",
"branch_id": "00",
"is_active": true,
"total_transactions": 12,
"created_at": "2025-01-05T10:00:00Z"
}
],
"meta": {
"total": 150,
"per_page": 25,
"current_page": 1,
"last_page": 6,
"timestamp": "2025-01-15T14:30:00Z"
}
}""")

DOC_CREATE = json.loads("""{
"status": "success",
"message": "Customer created successfully",
"data": {
"id": 3,
"customer_no": "CUST003",
"name": "XYZ Enterprises",
"tin": "P000789012Y",
"phone": "+254733345678",
"email": "contact@xyz.co.ke",
"address": "Industrial Area, Nairobi",
"branch_id": "00",
"is_active": true,
"created_at": "2025-01-17T10:00:00Z"
},
"meta": {
"timestamp": "2025-01-17T10:00:00Z",
"request_id": "req_abc123"
}
}""")

# Kept as text: the amounts 1250000.00 / 15000.00 must arrive as exact Decimals.
DOC_DETAIL_TEXT = """{
"status": "success",
"data": {
"id": 1,
"customer_no": "CUST001",
"name": "ABC Trading Ltd",
"tin": "P000123456X",
"phone": "+254712345678",
"email": "info@abctrading.co.ke",
"address": "Moi Avenue, Nairobi",
"branch_id": "00",
"branch_name": "Head Office",
"is_active": true,
"metadata": {},
"transaction_summary": {
"total_transactions": 45,
"total_sales_amount": 1250000.00,
"this_month_transactions": 8,
"last_transaction_at": "2025-01-14T16:30:00Z"
},
"recent_transactions": [
{
"id": "uuid-123",
"type": "sales",
"invoice_no": "INV-045",
"amount": 15000.00,
"status": "success",
"created_at": "2025-01-14T16:30:00Z"
}
],
"created_at": "2025-01-01T10:00:00Z",
"updated_at": "2025-01-14T16:30:00Z"
}
}"""

DOC_UPDATE = json.loads("""{
"status": "success",
"message": "Customer updated successfully",
"data": {
"id": 1,
"customer_no": "CUST001",
"name": "ABC Trading Ltd - Updated",
"tin": "P000123456X",
"phone": "+254712999999",
"email": "updated@abctrading.co.ke",
"address": "New Location, Westlands, Nairobi",
"branch_id": "00",
"is_active": true,
"updated_at": "2025-01-17T15:00:00Z"
}
}""")

DOC_DELETE = json.loads("""{
"status": "success",
"message": "Customer deleted successfully"
}""")

DOC_SEARCH = json.loads("""{
"status": "success",
"data": [
{
"id": 1,
"customer_no": "CUST001",
"name": "ABC Trading Ltd",
"tin": "P000123456X",
"phone": "+254712345678"
},
{
"id": 5,
"customer_no": "CUST005",
"name": "ABC Supplies",
"tin": "P000456789Z",
"phone": "+254745678901"
}
],
"meta": {
"count": 2,
"query": "ABC"
}
}""")

DOC_TRANSACTIONS_TEXT = """{
"status": "success",
"data": [
{
"id": "uuid-123",
"type": "sales",
"invoice_no": "INV-045",
"total_amount": 15000.00,
"tax_amount": 2400.00,
"status": "success",
"branch_id": "00",
"created_at": "2025-01-14T16:30:00Z"
},
{
"id": "uuid-122",
"type": "sales",
"invoice_no": "INV-040",
"total_amount": 8500.00,
"tax_amount": 1360.00,
"status": "success",
"branch_id": "00",
"created_at": "2025-01-10T11:00:00Z"
}
],
"meta": {
"total": 45,
"per_page": 25,
"current_page": 1,
"last_page": 2
}
}"""

# --- the documented errors ---------------------------------------------------

DOC_400 = {
    "status": "error",
    "message": "Validation failed",
    "errors": {
        "customer_no": ["The customer_no has already been taken."],
        "tin": ["The tin format is invalid."],
    },
}
DOC_404 = {"status": "error", "message": "Customer not found"}
DOC_409 = {
    "status": "error",
    "message": "Customer with this customer_no already exists in this branch",
}


def data_of(envelope: dict | str):
    """The `data` of a documented body (parsed first when it is text)."""
    return (json.loads(envelope) if isinstance(envelope, str) else envelope)["data"]
