//! The comparison on the edits of the issue list: trust and permission policies.
