from . import test_ticket_lead
