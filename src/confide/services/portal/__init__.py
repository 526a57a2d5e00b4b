"""The client's portal: what a client reads and writes about their own care, each
through the one door (services.access.governed, purpose PATRQT for the client), and
what the practice's staff do with it.

    notice        the notice of privacy practices and the limits of confidentiality,
                  read and acknowledged (version and time), seen by the clinician
    forms         the PHQ-9, the GAD-7 and the practice's intake form before a session;
                  PHQ-9 item 9 above 0 flags the form for the clinician (never a disclosure)
    requests      appointment requests: the clinician's open times or a preference in
                  words; the front desk books or declines with a reason
    correspondence  secure messages with the clinician, under the client's key, filed in
                  the chart; a notification says only that a message is waiting
    access_log    who opened the record, in words, paged
    home          the portal's home page, in one door call
"""
