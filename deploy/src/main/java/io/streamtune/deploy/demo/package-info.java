/**
 * The live demo: a synthetic camera and labeller feeding the stack, a terminal view and a web view
 * of what happens.
 */
package io.streamtune.deploy.demo;
