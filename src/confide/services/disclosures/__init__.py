"""Everything that lets client information leave the practice, each on the one way out
(`packet.disclosure_packet_build`): releases, payers, minors' parents, the legal
exceptions, the client's own requests, consultation, and the accounting of it all."""
