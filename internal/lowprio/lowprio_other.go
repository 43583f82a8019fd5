//go:build !linux

package lowprio

// lower does nothing: elsewhere than on Linux a nice value belongs to the
// whole process.
func lower() {}

func threadNice() (int, error) { return 0, nil }
