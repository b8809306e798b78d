"""Operations tooling: bulk import and export of clients, contacts, deals and payments."""
