/** Builders of raw ONNX models for tests, shared by every module. */
package io.streamtune.onnx.testkit;
