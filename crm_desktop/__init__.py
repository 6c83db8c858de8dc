"""Kanta — a desktop CRM for keeping the customers a small business already has."""

__version__ = "0.1.0"
APP_NAME = "Kanta"
APP_ID = "crm_desktop"
