package web

import "frist/internal/auth"

// TrainingView reports whether the page shows the training banner:
// trainees work real queues with customers' contact data pseudonymised
// and sensitive data masked (desk's masking by role), and every page says
// so.
func (p page) TrainingView() bool { return p.Agent != nil && p.Agent.Role == auth.Trainee }
